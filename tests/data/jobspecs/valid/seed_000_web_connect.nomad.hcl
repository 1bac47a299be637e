# Seed 000, assembled around its Connect snippet: service "web" on port "http" with connect { sidecar_service {} } in a bridge-mode group (Consul mesh; kept, not interpreted).
job "web" {
  datacenters = ["dc1"]

  group "web" {
    count = 2

    network {
      mode = "bridge"

      port "http" {
        to = 8080
      }
    }

    service {
      name = "web"
      port = "http"

      connect {
        sidecar_service {}
      }
    }

    task "web" {
      driver = "docker"

      config {
        image = "registry.example.com/edge/web:1.0.0"
        ports = ["http"]
      }

      resources {
        cpu    = 200
        memory = 128
      }
    }
  }
}
