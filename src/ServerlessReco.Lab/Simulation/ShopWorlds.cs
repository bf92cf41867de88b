namespace ServerlessReco.Lab.Simulation;

/// <summary>
/// The worlds a simulation can run in, by the name a command takes (<c>--world</c>): one place to add a world, so every
/// command (in process or over HTTP) offers the same ones.
/// </summary>
public static class ShopWorlds
{
    public const string HandBuilt = "hand-built";

    /// <summary>The names <see cref="Create"/> knows, the default first.</summary>
    public static IReadOnlyList<string> Names { get; } = [HandBuilt];

    /// <summary>A fresh world of this name for one run, drawn from <paramref name="options"/> (its seed among them).</summary>
    public static IShopWorld Create(string name, ServingSimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return name switch
        {
            HandBuilt => new ShopWorld(options),
            _ => throw new ArgumentException($"There is no world '{name}'; the worlds are {string.Join(", ", Names)}.", nameof(name)),
        };
    }
}
