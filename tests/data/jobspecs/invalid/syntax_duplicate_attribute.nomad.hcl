# error: 16:5: Attribute redefined
job "api" {
  datacenters = ["dc1"]

  group "api" {
    count = 2

    task "api" {
      driver = "docker"

      config {
        image = "nginx:1.27"
      }
    }

    count = 3
  }
}
