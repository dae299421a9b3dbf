namespace FlinkOpsBot.FlinkSim.Cmf;

/// <summary>Placeholder.</summary>
internal static class CmfSavepointEndpoints
{
    public static void Map(IEndpointRouteBuilder routes) => _ = routes;
}
