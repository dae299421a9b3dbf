using System.Text.Json.Nodes;
using FlinkOpsBot.FlinkSim.Engine;

namespace FlinkOpsBot.FlinkSim.Cmf;

/// <summary>
/// CMF's REST API under <c>/cmf/api/v1</c> (CMF 2.3.1 OpenAPI): system information, environments and applications
/// here; savepoints in <see cref="CmfSavepointEndpoints"/>; catalogs, compute pools and statements in
/// <see cref="CmfSqlEndpoints"/>; the <c>flink-web-ui</c> proxy in <see cref="CmfProxy"/>. Unknown <c>/cmf</c> paths
/// answer CMF's 404 body.
/// </summary>
internal static class CmfEndpoints
{
    /// <summary>The base path of CMF's API.</summary>
    public const string Prefix = "/cmf/api/v1";

    public static void Map(IEndpointRouteBuilder app)
    {
        var routes = app.MapGroup(Prefix);
        routes.MapGet("/system-information", SystemInformation);
        routes.MapGet("/environments", ListEnvironments);
        routes.MapPost("/environments", PostEnvironmentAsync);
        routes.MapGet("/environments/{envName}", GetEnvironment);
        routes.MapDelete("/environments/{envName}", DeleteEnvironment);
        routes.MapGet("/environments/{envName}/applications", ListApplications);
        routes.MapPost("/environments/{envName}/applications", PostApplicationAsync);
        routes.MapGet("/environments/{envName}/applications/{appName}", GetApplication);
        routes.MapDelete("/environments/{envName}/applications/{appName}", DeleteApplication);
        routes.MapPost("/environments/{envName}/applications/{appName}/suspend", SuspendApplication);
        routes.MapPost("/environments/{envName}/applications/{appName}/start", StartApplication);
        CmfSavepointEndpoints.Map(routes);
        CmfSqlEndpoints.Map(routes);
        app.Map("/cmf/{**rest}", (HttpRequest request) =>
            CmfHttp.Error(StatusCodes.Status404NotFound, $"No endpoint {request.Method} {request.Path}."));
    }

    /// <summary>Runs <paramref name="handle"/> on the CMF state under the simulation's lock.</summary>
    public static IResult Run(SimCluster cluster, Func<CmfState, IResult> handle) => cluster.Simulation.Sync(_ => handle(cluster.Cmf.State));

    /// <summary>A refusal as CMF's error response.</summary>
    public static IResult Refuse(CmfRefusal refusal) => CmfHttp.Error(refusal.StatusCode, refusal.Message);

    /// <summary>Whether the simulated CMF answers as 2.2 or older (see <see cref="FlinkSimOptions.CmfVersion"/>).</summary>
    public static bool AnswersAs22(CmfState state) => Version.Parse(state.Simulation.Options.CmfVersion) < new Version(2, 3);

    // CMF 2.2 added this endpoint: an older CMF answers 404, which is how a client tells it is 2.1 or older.
    private static IResult SystemInformation(HttpRequest request, SimCluster cluster) => Run(cluster, state =>
        Version.Parse(state.Simulation.Options.CmfVersion) < new Version(2, 2)
            ? CmfHttp.Error(StatusCodes.Status404NotFound, $"No endpoint {request.Method} {request.Path}.")
            : CmfHttp.Json(new JsonObject
            {
                ["status"] = new JsonObject
                {
                    ["version"] = state.Simulation.Options.CmfVersion,
                    ["revision"] = "5f1e2d3c4b5a69788123456789abcdef01234567",
                },
            }));

    private static IResult ListEnvironments(HttpRequest request, SimCluster cluster) => Run(cluster, state =>
        CmfHttp.Page(request, state.Environments.Values.Select(env => (JsonNode)RenderEnvironment(env, withSecrets: false)).ToList()));

    private static IResult GetEnvironment(string envName, SimCluster cluster) => Run(cluster, state =>
        state.FindEnvironment(envName, out var env) is { } missing ? Refuse(missing) : CmfHttp.Json(RenderEnvironment(env, withSecrets: true)));

    private static async Task<IResult> PostEnvironmentAsync(HttpRequest request, SimCluster cluster)
    {
        var (body, error) = await CmfHttp.ReadObjectAsync(request);
        if (error is not null) return error;
        return Run(cluster, state =>
        {
            var name = CmfHttp.String(body, "name") ?? CmfHttp.String(body, "metadata.name");
            if (CmfNames.Problem("Environment", name) is { } problem) return CmfHttp.Error(StatusCodes.Status400BadRequest, problem);
            var kubernetesNamespace = CmfHttp.String(body, "kubernetesNamespace") ?? state.Environment(name!)?.KubernetesNamespace;
            if (kubernetesNamespace is null)
            {
                return CmfHttp.Error(StatusCodes.Status400BadRequest, $"Environment '{name}' needs kubernetesNamespace, the namespace its applications run in.");
            }
            var extra = (JsonObject)body!.DeepClone();
            foreach (var key in new[] { "name", "kubernetesNamespace", "created_time", "updated_time", "secrets", "status" }) extra.Remove(key);
            var environment = state.UpsertEnvironment(name!, kubernetesNamespace, extra, out _);
            return CmfHttp.Json(RenderEnvironment(environment, withSecrets: true), AnswersAs22(state) ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        });
    }

    private static IResult DeleteEnvironment(string envName, SimCluster cluster) => Run(cluster, state =>
    {
        if (state.FindEnvironment(envName, out var env) is { } missing) return Refuse(missing);
        foreach (var application in env.Applications.Values.ToList()) CmfApplications.Delete(state, application);
        state.Environments.Remove(envName);
        return CmfHttp.Empty(AnswersAs22(state) ? StatusCodes.Status200OK : StatusCodes.Status204NoContent);
    });

    private static IResult ListApplications(string envName, HttpRequest request, SimCluster cluster) => Run(cluster, state =>
        state.FindEnvironment(envName, out var env) is { } missing
            ? Refuse(missing)
            : CmfHttp.Page(request, env.Applications.Values.Select(app => (JsonNode)CmfApplications.Render(state, app)).ToList(), "state"));

    private static IResult GetApplication(string envName, string appName, SimCluster cluster) => Run(cluster, state =>
        state.FindApplication(envName, appName, out var app) is { } missing ? Refuse(missing) : CmfHttp.Json(CmfApplications.Render(state, app)));

    private static async Task<IResult> PostApplicationAsync(string envName, HttpRequest request, SimCluster cluster)
    {
        var (body, error) = await CmfHttp.ReadObjectAsync(request);
        if (error is not null) return error;
        return Run(cluster, state =>
        {
            if (state.FindEnvironment(envName, out var env) is { } missing) return Refuse(missing);
            if (CmfApplications.Upsert(state, env, body!, out var app) is { } refusal) return Refuse(refusal);
            RecordJob(request, app);
            return CmfHttp.Json(CmfApplications.Render(state, app), StatusCodes.Status201Created);
        });
    }

    private static IResult DeleteApplication(string envName, string appName, SimCluster cluster) => Run(cluster, state =>
    {
        if (state.FindApplication(envName, appName, out var app) is { } missing) return Refuse(missing);
        CmfApplications.Delete(state, app);
        return CmfHttp.Empty(AnswersAs22(state) ? StatusCodes.Status200OK : StatusCodes.Status204NoContent);
    });

    private static IResult SuspendApplication(string envName, string appName, HttpRequest request, SimCluster cluster) => Run(cluster, state =>
    {
        if (state.FindApplication(envName, appName, out var app) is { } missing) return Refuse(missing);
        CmfApplications.Suspend(state, app);
        RecordJob(request, app);
        return CmfHttp.Json(CmfApplications.Render(state, app));
    });

    private static IResult StartApplication(string envName, string appName, HttpRequest request, SimCluster cluster) => Run(cluster, state =>
    {
        if (state.FindApplication(envName, appName, out var app) is { } missing) return Refuse(missing);
        var uid = request.Query["startFromSavepointUid"].FirstOrDefault();
        if (CmfApplications.Start(state, app, string.IsNullOrEmpty(uid) ? null : uid) is { } refusal) return Refuse(refusal);
        RecordJob(request, app);
        return CmfHttp.Json(CmfApplications.Render(state, app));
    });

    // The call log names the job a mutating call acted on.
    private static void RecordJob(HttpRequest request, CmfApplication application)
    {
        if (request.HttpContext.Features.Get<Rest.SimCallFeature>() is { } call) call.JobId = application.Job?.JobId;
    }

    private static JsonObject RenderEnvironment(CmfEnvironment env, bool withSecrets)
    {
        var body = (JsonObject)env.Extra.DeepClone();
        body["name"] = env.Name;
        body["kubernetesNamespace"] = env.KubernetesNamespace;
        body["created_time"] = CmfHttp.Timestamp(env.Created);
        body["updated_time"] = CmfHttp.Timestamp(env.Updated);
        if (withSecrets) body["secrets"] = new JsonObject();
        var byState = new JsonObject();
        foreach (var group in env.Applications.Values.GroupBy(app => app.Job?.Status ?? JobStatus.Created))
        {
            byState[group.Key] = group.Count();
        }
        body["status"] = new JsonObject { ["resources"] = new JsonObject { ["applications"] = byState } };
        return body;
    }
}
