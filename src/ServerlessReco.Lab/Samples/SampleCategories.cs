namespace ServerlessReco.Lab.Samples;

/// <summary>One department of the sample shop: how much shoppers like it, its price range and the words its titles are made of.</summary>
internal sealed record SampleCategory(string Name, double Appeal, double MinPrice, double MaxPrice, string[] Nouns, string[] Adjectives, string[] Tags);

/// <summary>The sample shop's departments and colours: data, kept apart from the generator that draws from it.</summary>
internal static class SampleCategories
{
    public static readonly SampleCategory[] All =
    [
        new("Electronics", 3.0, 15, 400,
            ["Headphones", "Bluetooth Speaker", "Smartwatch", "Charger", "Power Bank", "Webcam", "Keyboard", "Mouse", "Monitor", "USB-C Hub"],
            ["Wireless", "Compact", "Pro", "Noise-Cancelling", "Portable", "Ultra-Slim"],
            ["wireless", "usb-c", "bluetooth", "gaming", "travel", "rechargeable"]),
        new("Books", 1.6, 8, 45,
            ["Cookbook", "Thriller", "Biography", "Travel Guide", "Fantasy Novel", "Poetry Collection", "Science Primer", "Graphic Novel"],
            ["Illustrated", "Bestselling", "Pocket", "Collector's", "Annotated"],
            ["paperback", "hardcover", "bestseller", "fiction", "non-fiction", "gift"]),
        new("Home & Kitchen", 2.2, 9, 250,
            ["Chef's Knife", "Cast Iron Pan", "Coffee Grinder", "Blender", "Cutting Board", "Tea Kettle", "Storage Jars", "Throw Blanket"],
            ["Stainless", "Nonstick", "Handmade", "Cordless", "Bamboo", "Stoneware"],
            ["kitchen", "cooking", "home", "eco", "dishwasher-safe", "gift"]),
        new("Fashion", 2.6, 12, 180,
            ["T-Shirt", "Sneakers", "Denim Jacket", "Scarf", "Backpack", "Sunglasses", "Hoodie", "Belt"],
            ["Classic", "Organic Cotton", "Slim-Fit", "Vintage", "Waterproof", "Oversized"],
            ["cotton", "unisex", "summer", "winter", "leather", "streetwear"]),
        new("Sports & Outdoors", 1.4, 10, 350,
            ["Yoga Mat", "Running Shoes", "Tent", "Water Bottle", "Dumbbells", "Cycling Helmet", "Hiking Poles", "Sleeping Bag"],
            ["Lightweight", "Insulated", "Adjustable", "Trail", "Ultralight", "All-Weather"],
            ["outdoor", "fitness", "camping", "running", "cycling", "hiking"]),
        new("Beauty", 1.3, 5, 90,
            ["Face Serum", "Shampoo", "Lip Balm", "Sunscreen", "Perfume", "Moisturizer", "Hand Cream"],
            ["Hydrating", "Vegan", "Fragrance-Free", "Natural", "Travel-Size"],
            ["skincare", "haircare", "vegan", "cruelty-free", "spf", "gift"]),
        new("Toys & Games", 1.0, 8, 120,
            ["Board Game", "Puzzle", "Building Blocks", "Plush Bear", "RC Car", "Card Game", "Science Kit"],
            ["Family", "Classic", "Educational", "Deluxe", "Mini"],
            ["kids", "family", "stem", "party", "ages-8+", "gift"]),
        new("Garden", 0.6, 6, 150,
            ["Watering Can", "Pruning Shears", "Planter", "Seed Kit", "Garden Hose", "Bird Feeder"],
            ["Galvanised", "Self-Watering", "Heirloom", "Expandable", "Cedar"],
            ["garden", "outdoor", "plants", "balcony", "eco"]),
        new("Grocery", 1.2, 3, 40,
            ["Coffee Beans", "Green Tea", "Olive Oil", "Dark Chocolate", "Honey", "Pasta", "Granola"],
            ["Organic", "Single-Origin", "Fair-Trade", "Artisan", "Cold-Pressed"],
            ["organic", "vegan", "gluten-free", "breakfast", "pantry"]),
        new("Music", 0.5, 5, 600,
            ["Vinyl Record", "Acoustic Guitar", "Ukulele", "Headphone Amp", "Guitar Strings", "Metronome"],
            ["Limited", "Beginner", "Studio", "Remastered", "Solid-Top"],
            ["vinyl", "instrument", "beginner", "studio", "jazz", "rock"]),
        new("Office", 0.8, 4, 300,
            ["Notebook", "Fountain Pen", "Desk Lamp", "Office Chair", "Planner", "Desk Organizer"],
            ["Ergonomic", "Recycled", "Minimalist", "Dotted", "Refillable"],
            ["office", "stationery", "work-from-home", "eco", "desk"]),
        new("Pet Supplies", 0.8, 5, 160,
            ["Dog Bed", "Cat Tree", "Chew Toy", "Food Bowl", "Leash", "Litter Box", "Pet Carrier"],
            ["Orthopedic", "Durable", "Washable", "Reflective", "Non-Slip"],
            ["dog", "cat", "pets", "washable", "travel"]),
    ];

    public static readonly string[] Colours = ["Black", "White", "Navy", "Sage", "Sand", "Graphite", "Coral", "Forest"];
}
