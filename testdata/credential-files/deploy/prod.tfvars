db_password = "Nx4Kq7Zt2Wv8"
region = "eu-west-1"
