# error: 6:13: count
job "api" {
  datacenters = ["dc1"]

  group "api" {
    count = -1

    task "api" {
      driver = "docker"

      config {
        image = "nginx:1.27"
      }
    }
  }
}
