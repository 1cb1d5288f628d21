using BenchmarkDotNet.Running;

// bench/micro.sh passes BenchmarkDotNet's own switches (--filter, --job short, --inProcess, --exporters).
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

public partial class Program;
