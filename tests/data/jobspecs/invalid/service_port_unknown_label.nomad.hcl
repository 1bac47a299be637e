# error: 12:14: admin
job "api" {
  datacenters = ["dc1"]

  group "api" {
    network {
      port "http" {}
    }

    service {
      name = "api"
      port = "admin"
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
