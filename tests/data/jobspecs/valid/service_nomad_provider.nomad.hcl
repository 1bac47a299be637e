# Exercises: provider = "nomad" services with http (method, protocol, header) and tcp checks, a template reading nomadService, template wait block.
job "redis-cache" {
  datacenters = ["dc1"]

  group "cache" {
    count = 1

    network {
      port "db" {
        to = 6379
      }
    }

    service {
      provider = "nomad"
      name     = "redis-cache"
      port     = "db"
      tags     = ["cache", "redis"]

      check {
        name     = "redis-tcp"
        type     = "tcp"
        interval = "10s"
        timeout  = "1s"
      }
    }

    task "redis" {
      driver = "docker"

      config {
        image = "redis:7.2"
        ports = ["db"]
      }

      resources {
        cpu    = 200
        memory = 256
      }
    }
  }

  group "api" {
    network {
      port "http" {}
    }

    service {
      provider = "nomad"
      name     = "cache-api"
      port     = "http"

      check {
        name     = "cache-api-ready"
        type     = "http"
        protocol = "http"
        method   = "POST"
        path     = "/ready"
        interval = "5s"
        timeout  = "2s"

        header {
          Content-Type = ["application/json"]
        }
      }
    }

    task "api" {
      driver = "raw_exec"

      config {
        command = "/usr/local/bin/cache-api"
        args    = ["--config", "local/api.env"]
      }

      template {
        destination = "local/api.env"
        env         = true
        data        = <<-EOT
          {{ range nomadService "redis-cache" }}
          REDIS_ADDR={{ .Address }}:{{ .Port }}
          {{ end }}
          LISTEN=:{{ env "NOMAD_PORT_http" }}
        EOT

        wait {
          min = "2s"
          max = "10s"
        }
      }

      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
