# Exercises: group shutdown_delay, task shutdown_delay, stop_after_client_disconnect and max_client_disconnect (in separate groups, they exclude each other).
job "edge-sensors" {
  datacenters = ["edge-*"]

  group "collector" {
    count                 = 1
    shutdown_delay        = "10s"
    max_client_disconnect = "12h"

    network {
      port "http" {}
    }

    service {
      name = "sensor-collector"
      port = "http"
    }

    task "collector" {
      driver         = "exec"
      shutdown_delay = "5s"

      config {
        command = "/opt/sensors/bin/collector"
        args    = ["--listen", "${NOMAD_ADDR_http}"]
      }

      resources {
        cpu    = 100
        memory = 64
      }
    }
  }

  group "license-lock" {
    stop_after_client_disconnect = "90s"

    task "lock" {
      driver       = "raw_exec"
      kill_timeout = "15s"

      config {
        command = "/opt/sensors/bin/license-lock"
      }

      resources {
        cpu    = 50
        memory = 32
      }
    }
  }
}
