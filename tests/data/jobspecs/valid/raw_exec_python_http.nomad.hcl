# Exercises: raw_exec running python3 -m http.server on a dynamic port, ${NOMAD_PORT_http} in args, urlprefix- and traefik tags, http check, logs block.
job "static-files" {
  datacenters = ["dc1"]
  type        = "service"

  group "files" {
    count = 2

    network {
      port "http" {}
    }

    service {
      name = "static-files"
      port = "http"
      tags = [
        "urlprefix-/files strip=/files",
        "traefik.enable=true",
        "traefik.http.routers.files.rule=PathPrefix(`/files`)",
      ]

      check {
        type     = "http"
        path     = "/"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "server" {
      driver = "raw_exec"

      config {
        command = "python3"
        args    = ["-m", "http.server", "${NOMAD_PORT_http}", "--bind", "0.0.0.0", "--directory", "/srv/files"]
      }

      logs {
        max_files     = 3
        max_file_size = 5
      }

      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
