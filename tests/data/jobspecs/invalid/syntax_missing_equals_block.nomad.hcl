# error: 7:22: Invalid block definition
job "api" {
  datacenters = ["dc1"]

  group "api" {
    task "api" {
      driver "docker"

      config {
        image = "nginx:1.27"
      }
    }
  }
}
