# error: 17:20: interval
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
        interval = "500ms"
        timeout  = "1s"
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
