# error: 8:18: 65535
job "api" {
  datacenters = ["dc1"]

  group "api" {
    network {
      port "http" {
        static = 70000
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
