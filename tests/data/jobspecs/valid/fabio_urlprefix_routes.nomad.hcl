# Exercises: Fabio route tags: urlprefix-/path, host+path prefixes, strip=, redirect= and proto= options; two services on two ports of one group.
job "customer-portal" {
  datacenters = ["dc1"]

  group "portal" {
    count = 3

    network {
      port "http" {}
      port "admin" {}
    }

    service {
      name = "customer-portal"
      port = "http"
      tags = [
        "urlprefix-/portal",
        "urlprefix-portal.example.com/",
        "urlprefix-api.example.com/portal strip=/portal",
        "urlprefix-old.example.com/ redirect=301,https://portal.example.com$path",
      ]

      check {
        type     = "http"
        path     = "/portal/ping"
        interval = "5s"
        timeout  = "1s"
      }
    }

    service {
      name = "customer-portal-admin"
      port = "admin"
      tags = ["urlprefix-admin.example.com/portal-admin strip=/portal-admin proto=http"]

      check {
        type     = "tcp"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "portal" {
      driver = "raw_exec"

      config {
        command = "local/portal"
        args    = ["-http", ":${NOMAD_PORT_http}", "-admin", ":${NOMAD_PORT_admin}"]
      }

      artifact {
        source = "https://artifacts.example.com/portal/portal-3.1.0.tar.gz"
      }

      resources {
        cpu    = 250
        memory = 200
      }
    }
  }
}
