# error: 6:13: number is required
job "api" {
  datacenters = ["dc1"]

  group "api" {
    count = "many"

    task "api" {
      driver = "docker"

      config {
        image = "nginx:1.27"
      }
    }
  }
}
