# error: 2:1: group
job "empty" {
  datacenters = ["dc1"]
  type        = "service"
}
