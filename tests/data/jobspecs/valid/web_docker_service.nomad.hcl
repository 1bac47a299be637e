# Exercises: service job, docker driver (image/ports/args), bridge network with dynamic `to` port, group service with Traefik tags and an http check with header.
job "storefront" {
  datacenters = ["dc1", "dc2"]
  type        = "service"

  group "web" {
    count = 3

    network {
      mode = "bridge"

      port "http" {
        to = 8080
      }
    }

    service {
      name = "storefront"
      port = "http"

      tags = [
        "traefik.enable=true",
        "traefik.http.routers.storefront.rule=Host(`shop.example.com`)",
        "traefik.http.routers.storefront.entrypoints=websecure",
        "traefik.http.routers.storefront.tls.certresolver=letsencrypt",
      ]

      check {
        type     = "http"
        path     = "/healthz"
        interval = "10s"
        timeout  = "2s"

        header {
          X-Health-Probe = ["nomad"]
          Accept         = ["application/json", "text/plain"]
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "registry.example.com/shop/storefront:2.14.1"
        ports = ["http"]
        args  = ["--listen", "0.0.0.0:8080", "--log-format", "json"]
      }

      env {
        APP_ENV   = "production"
        LOG_LEVEL = "info"
      }

      resources {
        cpu    = 500
        memory = 256
      }
    }
  }
}
