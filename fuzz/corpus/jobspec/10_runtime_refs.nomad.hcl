job "r" {
  type = "batch"
  periodic {
    crons = ["*/5 1-3 L * MON#2", "@weekly", "0 0 0 1 JAN ? 2030"]
  }
  group "g" {
    task "t" {
      driver = "raw_exec"
      env {
        A = "${NOMAD_PORT_http}:${attr.kernel.name}:${meta.rack}:${env["HOME"]}"
        B = "$${literal} %%{ not a directive }"
      }
    }
  }
}
