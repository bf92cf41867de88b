using ServerlessReco.Cli;

return await RecoCommandLine.InvokeAsync(args, Console.Out, Console.Error);
