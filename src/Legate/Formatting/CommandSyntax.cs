namespace Legate.Formatting;

/// <summary>What an operator accepts after its name: <c>(parameters)</c> and/or <c>:length</c>.</summary>
[Flags]
internal enum CommandSyntax
{
    CommandOnly = 0,
    ParamsRequired = 1,
    ParamsOptional = 2,
    LengthAllowed = 4,
}
