# error: 11:7: duplicate
job "api" {
  datacenters = ["dc1"]

  group "api" {
    network {
      port "http" {
        to = 8080
      }

      port "http" {
        to = 9090
      }
    }

    task "api" {
      driver = "docker"

      config {
        image = "nginx:1.27"
        ports = ["http"]
      }
    }
  }
}
