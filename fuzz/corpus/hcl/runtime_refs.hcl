env {
  PORT = "${NOMAD_PORT_http}"
  ADDR = "${attr.unique.network.ip-address}:${NOMAD_PORT_http}"
  HOME = "${env["HOME"]}"
  RACK = "rack-${meta.rack}"
}
