using System.Text.Json.Nodes;
using FlinkOpsBot.FlinkSim.Engine;

namespace FlinkOpsBot.FlinkSim.Cmf;

/// <summary>
/// CMF 2.1+ savepoints: an application's (<c>…/applications/{app}/savepoints[/{name}[/detach]]</c>), each backed by a
/// real savepoint of the application's job, and the detached ones (<c>/detached-savepoints[/{name}]</c>). A name that
/// exists answers 409, so a client that names its savepoint can retry a create safely.
/// </summary>
internal static class CmfSavepointEndpoints
{
    private const string AppSavepoints = "/environments/{envName}/applications/{appName}/savepoints";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost(AppSavepoints, CreateAsync);
        routes.MapGet(AppSavepoints, List);
        routes.MapGet(AppSavepoints + "/{savepointName}", Get);
        routes.MapDelete(AppSavepoints + "/{savepointName}", Delete);
        routes.MapPost(AppSavepoints + "/{savepointName}/detach", Detach);
        routes.MapPost("/detached-savepoints", RegisterDetachedAsync);
        routes.MapGet("/detached-savepoints", ListDetached);
        routes.MapGet("/detached-savepoints/{detachedSavepointName}", GetDetached);
        routes.MapDelete("/detached-savepoints/{detachedSavepointName}", DeleteDetached);
    }

    /// <summary>The Savepoint resource as CMF returns it, its status as of now.</summary>
    public static JsonObject Render(CmfSavepoint savepoint)
    {
        var state = savepoint.State;
        var status = new JsonObject { ["state"] = state };
        if (savepoint.Path is { } path) status["path"] = path;
        status["triggerTimestamp"] = CmfHttp.Timestamp(savepoint.Created);
        if ((savepoint.Operation?.CompletedAt ?? savepoint.CompletedAt) is { } done) status["resultTimestamp"] = CmfHttp.Timestamp(done);
        status["failures"] = state == "FAILED" ? 1 : 0;
        if (savepoint.Operation?.Failure is { } failure) status["error"] = CmfApplications.RootCause(failure);
        status["pendingDeletion"] = false;
        status["source"] = savepoint.Source;

        return CmfHttp.Resource("Savepoint", CmfHttp.Metadata(savepoint.Metadata, savepoint.Name, savepoint.Uid, savepoint.Created, updated: null), savepoint.Spec, status);
    }

    // POST: triggers a savepoint of the application's job into spec.path (default: the application's
    // state.savepoints.dir); the resource is IN_PROGRESS, then COMPLETED with status.path, or FAILED with status.error.
    private static async Task<IResult> CreateAsync(string envName, string appName, HttpRequest request, SimCluster cluster)
    {
        var (body, error) = await CmfHttp.ReadObjectAsync(request);
        if (error is not null) return error;
        return CmfEndpoints.Run(cluster, state =>
        {
            if (state.FindApplication(envName, appName, out var app) is { } missing) return CmfEndpoints.Refuse(missing);
            var sim = state.Simulation;
            var name = CmfHttp.String(body, "metadata.name") ?? $"{app.Name}-{sim.Ids.NewHex(8)}";
            if (CmfNames.Problem("Savepoint", name) is { } problem) return CmfHttp.Error(StatusCodes.Status422UnprocessableEntity, problem);
            if (app.Savepoints.ContainsKey(name))
            {
                return CmfHttp.Error(StatusCodes.Status409Conflict, $"Savepoint '{name}' already exists for FlinkApplication '{app.Name}'.");
            }
            if (app.Job is not { } job || JobStatus.IsGloballyTerminal(job.Status) || app.Transition != CmfTransition.None)
            {
                return CmfHttp.Error(
                    StatusCodes.Status422UnprocessableEntity,
                    $"FlinkApplication '{app.Name}' has no running job to take a savepoint of (lifecycle state {CmfApplications.LifecycleState(app)}).");
            }

            var spec = body!["spec"] is JsonObject posted ? (JsonObject)posted.DeepClone() : [];
            var directory = CmfHttp.String(spec, "path") ?? CmfApplications.SavepointDirectory(state, app);
            var format = CmfHttp.String(spec, "formatType") ?? "CANONICAL";
            if (format is not ("CANONICAL" or "NATIVE"))
            {
                return CmfHttp.Error(StatusCodes.Status400BadRequest, $"spec.formatType must be CANONICAL or NATIVE (got '{format}').");
            }
            spec["path"] = directory;
            spec["formatType"] = format;
            spec["backoffLimit"] = CmfHttp.Int(spec, "backoffLimit") ?? -1;

            if (state.NextSavepointFailure is { } injected)
            {
                state.NextSavepointFailure = null;
                sim.Faults.FailNextSavepoint(job.JobId, injected);
            }
            var result = sim.TriggerSavepoint(job.JobId, new SavepointRequest(SavepointOperationKind.Savepoint, directory, format, CancelJob: false, TriggerId: null));
            if (result.Refusal is { } refusal) return CmfHttp.Error(StatusCodes.Status422UnprocessableEntity, CmfApplications.RootCause(refusal.Error));

            var savepoint = new CmfSavepoint(name, sim.Ids.NewUuid(), state.Now)
            {
                Metadata = body["metadata"] is JsonObject metadata ? (JsonObject)metadata.DeepClone() : [],
                Spec = spec,
                Operation = result.Value,
                Application = app,
            };
            app.Savepoints.Add(name, savepoint);
            if (request.HttpContext.Features.Get<Rest.SimCallFeature>() is { } call) call.JobId = job.JobId;
            return CmfHttp.Json(Render(savepoint), StatusCodes.Status201Created);
        });
    }

    private static IResult List(string envName, string appName, HttpRequest request, SimCluster cluster) => CmfEndpoints.Run(cluster, state =>
        state.FindApplication(envName, appName, out var app) is { } missing
            ? CmfEndpoints.Refuse(missing)
            : CmfHttp.Page(request, app.Savepoints.Values.Select(sp => (JsonNode)Render(sp)).ToList()));

    private static IResult Get(string envName, string appName, string savepointName, SimCluster cluster) => CmfEndpoints.Run(cluster, state =>
        Find(state, envName, appName, savepointName, out _, out var savepoint) is { } missing ? missing : CmfHttp.Json(Render(savepoint)));

    // DELETE: forgets the resource and disposes of the savepoint's data (it can no longer be restored); force is
    // accepted and changes nothing here. A delete armed with SimCmf.RefuseSavepointDelete is refused.
    private static IResult Delete(string envName, string appName, string savepointName, SimCluster cluster) => CmfEndpoints.Run(cluster, state =>
    {
        if (Find(state, envName, appName, savepointName, out var app, out var savepoint) is { } missing) return missing;
        if (state.RefusedSavepointDeletes.GetValueOrDefault(savepointName) is { } refused) return CmfHttp.Error(refused.StatusCode, refused.Message);
        app.Savepoints.Remove(savepointName);
        if (savepoint.Path is { } path) state.Simulation.RemoveRestorePoint(path);
        return CmfHttp.Empty(StatusCodes.Status204NoContent);
    });

    private static IResult Detach(string envName, string appName, string savepointName, SimCluster cluster) => CmfEndpoints.Run(cluster, state =>
    {
        if (Find(state, envName, appName, savepointName, out var app, out var savepoint) is { } missing) return missing;
        if (state.DetachedSavepoints.ContainsKey(savepointName))
        {
            return CmfHttp.Error(StatusCodes.Status409Conflict, $"A detached savepoint named '{savepointName}' already exists.");
        }
        app.Savepoints.Remove(savepointName);
        savepoint.Application = null;
        state.DetachedSavepoints.Add(savepointName, savepoint);
        return CmfHttp.Json(Render(savepoint));
    });

    // POST /detached-savepoints: registers a savepoint at spec.path (e.g. taken outside CMF) that applications can
    // then be started from; FlinkSim treats the path as a restorable savepoint.
    private static async Task<IResult> RegisterDetachedAsync(HttpRequest request, SimCluster cluster)
    {
        var (body, error) = await CmfHttp.ReadObjectAsync(request);
        if (error is not null) return error;
        return CmfEndpoints.Run(cluster, state =>
        {
            var name = CmfHttp.String(body, "metadata.name");
            if (CmfNames.Problem("Savepoint", name) is { } problem) return CmfHttp.Error(StatusCodes.Status400BadRequest, problem);
            if (CmfHttp.String(body, "spec.path") is not { Length: > 0 } path)
            {
                return CmfHttp.Error(StatusCodes.Status422UnprocessableEntity, $"Detached savepoint '{name}' needs spec.path, the savepoint's location.");
            }
            if (state.DetachedSavepoints.ContainsKey(name!))
            {
                return CmfHttp.Error(StatusCodes.Status409Conflict, $"A detached savepoint named '{name}' already exists.");
            }
            state.Simulation.AddRestorePointIfMissing(path);
            var savepoint = new CmfSavepoint(name!, state.Simulation.Ids.NewUuid(), state.Now)
            {
                Metadata = body!["metadata"] is JsonObject metadata ? (JsonObject)metadata.DeepClone() : [],
                Spec = (JsonObject)body["spec"]!.DeepClone(),
                CompletedPath = path,
                CompletedAt = state.Now,
            };
            state.DetachedSavepoints.Add(name!, savepoint);
            return CmfHttp.Json(Render(savepoint), StatusCodes.Status201Created);
        });
    }

    private static IResult ListDetached(HttpRequest request, SimCluster cluster) => CmfEndpoints.Run(cluster, state =>
    {
        var prefix = request.Query["name"].FirstOrDefault() ?? "";
        return CmfHttp.Page(request, state.DetachedSavepoints.Values
            .Where(sp => sp.Name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(sp => (JsonNode)Render(sp)).ToList());
    });

    private static IResult GetDetached(string detachedSavepointName, SimCluster cluster) => CmfEndpoints.Run(cluster, state =>
        state.DetachedSavepoints.TryGetValue(detachedSavepointName, out var savepoint)
            ? CmfHttp.Json(Render(savepoint))
            : CmfHttp.Error(StatusCodes.Status404NotFound, $"Detached savepoint '{detachedSavepointName}' not found."));

    // Deleting a detached savepoint never deletes its data.
    private static IResult DeleteDetached(string detachedSavepointName, SimCluster cluster) => CmfEndpoints.Run(cluster, state =>
        state.DetachedSavepoints.Remove(detachedSavepointName)
            ? CmfHttp.Empty(StatusCodes.Status204NoContent)
            : CmfHttp.Error(StatusCodes.Status404NotFound, $"Detached savepoint '{detachedSavepointName}' not found."));

    private static IResult? Find(CmfState state, string envName, string appName, string savepointName, out CmfApplication app, out CmfSavepoint savepoint)
    {
        savepoint = null!;
        if (state.FindApplication(envName, appName, out app) is { } missing) return CmfEndpoints.Refuse(missing);
        savepoint = app.Savepoints.GetValueOrDefault(savepointName)!;
        return savepoint is null
            ? CmfHttp.Error(StatusCodes.Status404NotFound, $"Savepoint '{savepointName}' not found for FlinkApplication '{appName}'.")
            : null;
    }
}
