namespace ServerlessReco.Cli;

/// <summary>Finds every <see cref="ICliCommand"/> in this assembly.</summary>
public static class CommandCatalog
{
    public static IReadOnlyList<ICliCommand> All { get; } = typeof(CommandCatalog).Assembly.GetTypes()
        .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(ICliCommand).IsAssignableFrom(t))
        .Select(t => (ICliCommand)Activator.CreateInstance(t)!)
        .OrderBy(c => c.Name, StringComparer.Ordinal)
        .ToList();

    public static ICliCommand? Find(string name) => All.FirstOrDefault(c => c.Name == name);
}
