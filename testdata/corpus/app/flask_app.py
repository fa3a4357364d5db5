from flask import Flask

app = Flask(__name__)
app.config['SECRET_KEY'] = 'dev'
app.config["SQLALCHEMY_DATABASE_URI"] = "mysql://shop:telpzHCoFJtlhmER@mysql.internal:3306/shop"
