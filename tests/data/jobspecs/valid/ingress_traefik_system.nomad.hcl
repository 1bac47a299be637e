# Exercises: system job for an HA ingress on static ports 8081/8080 behind a static ALB (seed 000), host network, template with left/right delimiters kept apart from Traefik's own syntax, task-level service.
job "ingress" {
  type        = "system"
  datacenters = ["dc1"]
  priority    = 95

  update {
    max_parallel = 1
    stagger      = "20s"
  }

  group "traefik" {
    network {
      port "web" {
        static = 8081
      }

      port "dashboard" {
        static = 8080
      }
    }

    task "traefik" {
      driver = "docker"

      config {
        image        = "traefik:v3.1"
        network_mode = "host"
        args         = ["--configFile=/local/traefik.toml"]
      }

      template {
        destination     = "local/traefik.toml"
        left_delimiter  = "[["
        right_delimiter = "]]"
        data            = <<EOF
[entryPoints.web]
  address = ":[[ env "NOMAD_PORT_web" ]]"

[entryPoints.traefik]
  address = ":[[ env "NOMAD_PORT_dashboard" ]]"

[api]
  dashboard = true
  insecure  = true

[ping]
  entryPoint = "traefik"

[providers.consulCatalog]
  prefix           = "traefik"
  exposedByDefault = false
  defaultRule      = "Host(`{{ .Name }}.example.com`)"
EOF
      }

      service {
        name = "ingress-dashboard"
        port = "dashboard"

        check {
          type     = "http"
          path     = "/ping"
          interval = "5s"
          timeout  = "1s"
        }
      }

      resources {
        cpu    = 500
        memory = 256
      }
    }
  }
}
