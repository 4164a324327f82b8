print("aurora")
