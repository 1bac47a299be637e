# error: 12:7: network
job "my-job" {
  datacenters = ["dc1"]

  group "my-group" {
    task "task1" {
      driver = "docker"
      config {
        image = "my-image1"
      }

      network {
        port "http" {
          to = 8080
        }
      }

      service {
        name = "task1"
        tags = [
          "traefik.enable=true",
          "traefik.http.routers.task1.rule=Host(`task1.example.com`)",
          "traefik.http.services.task1.loadbalancer.server.port=${NOMAD_PORT_http}",
        ]
      }
    }
  }
}
