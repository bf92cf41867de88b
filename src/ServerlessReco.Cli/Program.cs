using ServerlessReco.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
{
    var topic = args.Length > 1 ? CommandCatalog.Find(args[1]) : null;
    if (topic is not null)
    {
        Console.WriteLine(topic.Usage);
        return 0;
    }

    Console.WriteLine("reco: the ServerlessReco command line\n\nCommands:");
    foreach (var command in CommandCatalog.All)
    {
        Console.WriteLine($"  {command.Name,-12} {command.Summary}");
    }

    Console.WriteLine("\n`reco help COMMAND` shows a command's options.");
    return args.Length == 0 ? 1 : 0;
}

var chosen = CommandCatalog.Find(args[0]);
if (chosen is null)
{
    Console.Error.WriteLine($"reco: unknown command '{args[0]}'. `reco help` lists the commands.");
    return 2;
}

try
{
    var arguments = new CliArguments(args.Skip(1));
    return await chosen.RunAsync(arguments, Console.Out, cancellation.Token);
}
catch (CliUsageException e)
{
    Console.Error.WriteLine($"reco {chosen.Name}: {e.Message}\n\n{chosen.Usage}");
    return 2;
}
catch (FormatException e)
{
    Console.Error.WriteLine($"reco {chosen.Name}: {e.Message}\n\n{chosen.Usage}");
    return 2;
}
