namespace Legate.Server;

/// <summary>--drain-strategy: how quickly connections are encouraged to close during a drain.</summary>
public enum DrainStrategy
{
    Gradual,
    Immediate,
}
