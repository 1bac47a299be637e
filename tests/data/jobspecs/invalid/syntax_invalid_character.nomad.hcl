# error: 12:17: Invalid character
job "api" {
  datacenters = ["dc1"]

  group "api" {
    count = 2

    task "api" {
      driver = "docker"

      config {
        image = @"nginx:1.27"
      }
    }
  }
}
