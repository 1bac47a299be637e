job "x" {
  group "y" {
    count = [1, 2
