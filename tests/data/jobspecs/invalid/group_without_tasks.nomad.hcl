# error: 5:3: task
job "api" {
  datacenters = ["dc1"]

  group "api" {
    count = 2

    network {
      port "http" {}
    }
  }
}
