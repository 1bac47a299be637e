# error: 4:17: type
job "api" {
  datacenters = ["dc1"]
  type        = "daemon"

  group "api" {
    task "api" {
      driver = "docker"

      config {
        image = "nginx:1.27"
      }
    }
  }
}
