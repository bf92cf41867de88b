using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Serving;

/// <summary>What a reason says the shopper did, in one place: the verb comes from the event's type ("clicked" for a click).</summary>
internal static class ReasonVerbs
{
    /// <summary>"bought", "added to your cart", "rated", "clicked", "viewed".</summary>
    public static string Past(EventType type) => type switch
    {
        EventType.Purchase => "bought",
        EventType.AddToCart => "added to your cart",
        EventType.Rating => "rated",
        EventType.Favorite => "added to your favourites",
        EventType.Click => "clicked",
        _ => "viewed",
    };

    /// <summary>"because you clicked X", "because you added X to your cart", "because you added X to your favourites".</summary>
    public static string Because(EventType type, string title) => type switch
    {
        EventType.AddToCart => $"because you added {title} to your cart",
        EventType.Favorite => $"because you added {title} to your favourites",
        _ => $"because you {Past(type)} {title}",
    };

    /// <summary>The reason of an item the shopper already did something with: "you looked at this", "you clicked this".</summary>
    public static string Again(EventType type) => type switch
    {
        EventType.Purchase => "you bought this before",
        EventType.AddToCart => "you added this to your cart",
        EventType.Rating => "you rated this",
        EventType.Favorite => "you added this to your favourites",
        EventType.Click => "you clicked this",
        _ => "you looked at this",
    };
}
