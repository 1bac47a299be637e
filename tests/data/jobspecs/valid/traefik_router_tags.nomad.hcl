# Exercises: Traefik router/middleware/service tags (rule with backticks, PathPrefix, stripprefix, redirectregex with $${1} escapes), ${NOMAD_PORT_http} in a tag.
job "docs-site" {
  datacenters = ["dc1"]

  group "docs" {
    count = 2

    network {
      mode = "bridge"

      port "http" {
        to = 80
      }
    }

    service {
      name = "docs-site"
      port = "http"
      tags = [
        "traefik.enable=true",
        "traefik.http.routers.docs.rule=Host(`docs.example.com`) || (Host(`www.example.com`) && PathPrefix(`/docs`))",
        "traefik.http.routers.docs.entrypoints=web,websecure",
        "traefik.http.routers.docs.middlewares=docs-strip,docs-legacy",
        "traefik.http.middlewares.docs-strip.stripprefix.prefixes=/docs",
        "traefik.http.middlewares.docs-legacy.redirectregex.regex=^https?://[^/]+/download/(.*)$",
        "traefik.http.middlewares.docs-legacy.redirectregex.replacement=https://downloads.example.com/$${1}",
        "traefik.http.routers.docs.tls.certresolver=cloudflare",
        "traefik.http.services.docs.loadbalancer.server.port=${NOMAD_PORT_http}",
        "traefik.http.services.docs.loadbalancer.sticky.cookie.name=docs_session",
      ]

      check {
        type     = "http"
        path     = "/"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "nginx" {
      driver = "docker"

      config {
        image = "nginx:1.27-alpine"
        ports = ["http"]
      }

      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
