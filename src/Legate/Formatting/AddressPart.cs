namespace Legate.Formatting;

/// <summary>Which part of an address an operator prints: <c>ip:port</c>, the ip alone, or the port alone.</summary>
internal enum AddressPart
{
    WithPort,
    WithoutPort,
    Port,
}
