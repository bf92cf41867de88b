namespace ServerlessReco.Lab.Simulation;

/// <summary>
/// The worlds a simulation can run in, by the name a command takes (<c>--world</c>): one place to add a world, so every
/// command (in process or over HTTP) offers the same ones.
/// </summary>
public static class ShopWorlds
{
    public const string HandBuilt = "hand-built";
    public const string MovieLens = "movielens";

    private static readonly Lazy<SimulationWorld> MovieLensWorld = new(() => SimulationWorld.MovieLens(
        MovieLensTruth.Find(Directory.GetCurrentDirectory()) ?? MovieLensTruth.Find(AppContext.BaseDirectory)
        ?? throw new ArgumentException("The movielens world needs ml-100k in shared/data beside the repository.")));

    /// <summary>The names <see cref="Create"/> knows, the default first.</summary>
    public static IReadOnlyList<string> Names { get; } = [HandBuilt, MovieLens];

    /// <summary>The loop's settings that suit the world (the MovieLens world posts its histories on day 0: one warm-up day).</summary>
    public static ServingSimulationOptions Suited(string name, ServingSimulationOptions options) =>
        name == MovieLens ? options with { WarmUpRounds = SimulationWorld.MovieLensDefaults.WarmUpRounds } : options;

    /// <summary>A fresh world of this name for one run, drawn from <paramref name="options"/> (its seed among them).</summary>
    public static IShopWorld Create(string name, ServingSimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return name switch
        {
            HandBuilt => new ShopWorld(options),
            MovieLens => MovieLensWorld.Value.Create(options),
            _ => throw new ArgumentException($"There is no world '{name}'; the worlds are {string.Join(", ", Names)}.", nameof(name)),
        };
    }
}
