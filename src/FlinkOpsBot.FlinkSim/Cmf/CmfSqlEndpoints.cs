namespace FlinkOpsBot.FlinkSim.Cmf;

/// <summary>Placeholder.</summary>
internal static class CmfSqlEndpoints
{
    public static void Map(IEndpointRouteBuilder routes) => _ = routes;
}
