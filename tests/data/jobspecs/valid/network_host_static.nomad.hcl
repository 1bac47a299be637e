# Exercises: network mode "host", static ports pinned to a host_network, a dynamic port on another host_network, ${NOMAD_ADDR_x} and ${NOMAD_IP_x}.
job "mqtt-broker" {
  datacenters = ["dc1"]

  group "broker" {
    count = 1

    network {
      mode = "host"

      port "mqtt" {
        static       = 1883
        host_network = "public"
      }

      port "mqtts" {
        static       = 8883
        host_network = "public"
      }

      port "admin" {
        host_network = "private"
      }
    }

    service {
      name = "mqtt"
      port = "mqtt"
      tags = ["iot"]

      check {
        type     = "tcp"
        port     = "mqtt"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "mosquitto" {
      driver = "docker"

      config {
        image = "eclipse-mosquitto:2.0"
        ports = ["mqtt", "mqtts", "admin"]
      }

      env {
        ADMIN_LISTEN    = "${NOMAD_ADDR_admin}"
        PUBLIC_ADDRESS  = "${NOMAD_IP_mqtt}"
        PUBLIC_TLS_PORT = "${NOMAD_PORT_mqtts}"
      }

      resources {
        cpu    = 300
        memory = 128
      }
    }
  }
}
