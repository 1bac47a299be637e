# error: 3:24: Missing item separator
job "api" {
  datacenters = ["dc1" "dc2"]

  group "api" {
    task "api" {
      driver = "docker"

      config {
        image = "nginx:1.27"
      }
    }
  }
}
