# error: 14:7: timeout
job "api" {
  datacenters = ["dc1"]

  group "api" {
    network {
      port "http" {}
    }

    service {
      name = "api"
      port = "http"

      check {
        type     = "http"
        path     = "/health"
        interval = "10s"
      }
    }

    task "api" {
      driver = "raw_exec"

      config {
        command = "/usr/local/bin/api"
      }
    }
  }
}
