# error: 6:5: driver
job "api" {
  datacenters = ["dc1"]

  group "api" {
    task "api" {
      config {
        image = "nginx:1.27"
      }

      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
