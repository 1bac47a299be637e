# error: 15:18: memory
job "api" {
  datacenters = ["dc1"]

  group "api" {
    task "api" {
      driver = "docker"

      config {
        image = "nginx:1.27"
      }

      resources {
        cpu    = 100
        memory = 0
      }
    }
  }
}
