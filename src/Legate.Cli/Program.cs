using Legate.Cli;

SocketScheduling.Apply();
return await LegateCommand.RunAsync(args);
