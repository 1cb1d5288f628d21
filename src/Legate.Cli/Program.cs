using Legate.Cli;

return await LegateCommand.RunAsync(args);
