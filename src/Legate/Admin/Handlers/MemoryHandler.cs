namespace Legate.Admin.Handlers;

/// <summary>GET /memory: envoy.admin.v3.Memory filled from the .NET GC and the process working set.</summary>
internal static class MemoryHandler
{
    public static AdminHandler Create() =>
        AdminHandler.Sync("/memory", "print current allocation/heap usage", false, _ =>
        {
            var gc = GC.GetGCMemoryInfo();
            var memory = new Envoy.Admin.V3.Memory
            {
                Allocated = (ulong)Math.Max(0, GC.GetTotalMemory(false)),
                HeapSize = (ulong)Math.Max(0, gc.HeapSizeBytes),
                PageheapUnmapped = 0,
                PageheapFree = (ulong)Math.Max(0, gc.FragmentedBytes),
                TotalThreadCache = 0,
                TotalPhysicalBytes = (ulong)Math.Max(0, Environment.WorkingSet),
            };
            // Envoy prints every field of Memory, zeros included.
            return AdminResponse.Json(AdminJson.FormatWithDefaults(memory));
        });
}
