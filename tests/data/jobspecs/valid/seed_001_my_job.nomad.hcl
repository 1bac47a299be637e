# Seed 001, multi-task job "my-job" with per-task Traefik tags. Fixed: the seed put `network` inside each task (not allowed); it is now one group network with ports http1/http2 (broken original: invalid/seed_001_task_network.nomad.hcl).
job "my-job" {
  datacenters = ["dc1"]

  group "my-group" {
    network {
      port "http1" {
        to = 8080
      }

      port "http2" {
        to = 9090
      }
    }

    task "task1" {
      driver = "docker"
      config {
        image = "my-image1"
        ports = ["http1"]
      }

      service {
        name = "task1"
        port = "http1"
        tags = [
          "traefik.enable=true",
          "traefik.http.routers.task1.rule=Host(`task1.example.com`)",
          "traefik.http.services.task1.loadbalancer.server.port=${NOMAD_PORT_http1}",
        ]
      }
    }

    task "task2" {
      driver = "docker"
      config {
        image = "my-image2"
        ports = ["http2"]
      }

      service {
        name = "task2"
        port = "http2"
        tags = [
          "traefik.enable=true",
          "traefik.http.routers.task2.rule=Host(`task2.example.com`)",
          "traefik.http.services.task2.loadbalancer.server.port=${NOMAD_PORT_http2}",
        ]
      }
    }
  }
}
