# error: 10:5: Did you mean "service"?
job "api" {
  datacenters = ["dc1"]

  group "api" {
    network {
      port "http" {}
    }

    servce {
      name = "api"
      port = "http"
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
