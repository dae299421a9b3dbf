using System.Text.Json.Nodes;
using FlinkOpsBot.FlinkSim.Cmf;
using FlinkOpsBot.FlinkSim.Engine;

namespace FlinkOpsBot.FlinkSim;

/// <summary>
/// The control surface of the simulated CMF (Confluent Manager for Apache Flink): what a test or the demo puts in it,
/// what it holds, and CMF-level faults. Thread-safe. Each application is backed by a job of the simulated Flink cluster
/// (<see cref="SimCluster"/>) that the plain Flink REST API does not list: in CMF each application has a Flink cluster
/// of its own, seen through <c>/cmf/api/v1/environments/{env}/applications/{app}/flink-web-ui/</c>. Their JobIDs still
/// answer on the plain API (<c>/jobs/{jobid}</c>), and <see cref="SimCluster.FindJob"/> finds them by JobID, not by name.
/// The faults of <see cref="SimCluster.Faults"/> apply to the backing jobs too (e.g. <c>FailNextStopWithSavepoint</c>
/// with the JobID of <see cref="ApplicationJob"/>), and request faults (503s, hangs, latency) to CMF requests as well.
/// </summary>
public sealed class SimCmf
{
    private readonly Simulation _simulation;

    internal SimCmf(Simulation simulation)
    {
        _simulation = simulation;
        State = new CmfState(simulation);
    }

    internal CmfState State { get; }

    /// <summary>Adds (or updates) an environment, as <c>POST /environments</c> would.</summary>
    public void AddEnvironment(string name, string kubernetesNamespace)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(kubernetesNamespace);
        Sync(state => state.UpsertEnvironment(name, kubernetesNamespace, [], out _));
    }

    /// <summary>
    /// Adds an application to <paramref name="environment"/> that has been RUNNING for hours (upgrade mode
    /// <paramref name="upgradeMode"/>, <c>spec.job.jarURI</c> <c>local:///opt/flink/usrlib/&lt;jarFileName&gt;</c>), backed
    /// by a job of the newest jar of that name. Returns the backing job.
    /// </summary>
    /// <exception cref="ArgumentException">No such environment or jar, or the application exists.</exception>
    public SimJob AddRunningApplication(string environment, string name, string jarFileName, int parallelism = 2, string upgradeMode = "savepoint") =>
        Sync(state =>
        {
            var env = state.Environment(environment) ?? throw new ArgumentException($"No environment '{environment}'.", nameof(environment));
            if (CmfNames.Problem("FlinkApplication", name) is { } problem) throw new ArgumentException(problem, nameof(name));
            if (env.Applications.ContainsKey(name)) throw new ArgumentException($"Application '{name}' exists in '{environment}'.", nameof(name));
            var job = state.Simulation.AddRunningJob(name, jarFileName, parallelism, null);
            var application = new CmfApplication(env, name, state.Simulation.Ids.NewUuid(), job.StartTime)
            {
                Metadata = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                Spec = DemoSpec(env, name, jarFileName, parallelism, upgradeMode),
                Job = job,
            };
            job.CmfScope = application.Scope;
            application.DeployedSpec = (JsonObject)application.Spec.DeepClone();
            env.Applications.Add(name, application);
            return job.Handle;
        });

    /// <summary>
    /// Records a COMPLETED savepoint <paramref name="savepointName"/> of the application's job, taken
    /// <paramref name="age"/> ago, that the application can be started from (<c>startFromSavepointUid</c>). Returns its
    /// <c>metadata.uid</c>.
    /// </summary>
    /// <exception cref="ArgumentException">No such application, it has no job, or the savepoint name is taken.</exception>
    public string AddCompletedSavepoint(string environment, string application, string savepointName, TimeSpan age) => Sync(state =>
    {
        var app = state.Application(environment, application) ?? throw new ArgumentException($"No application '{application}' in '{environment}'.", nameof(application));
        var job = app.Job ?? throw new ArgumentException($"Application '{application}' has no job.", nameof(application));
        if (app.Savepoints.ContainsKey(savepointName)) throw new ArgumentException($"Savepoint '{savepointName}' exists.", nameof(savepointName));
        var directory = CmfApplications.SavepointDirectory(state, app) ?? "s3://flink-demo/savepoints";
        var path = $"{directory.TrimEnd('/')}/savepoint-{job.JobId[..6]}-{state.Simulation.Ids.NewHex(12)}";
        var at = state.Now - age;
        state.Simulation.AddRestorePoint(new RestorePoint(job.Checkpoints.Completed, IsSavepoint: true, path, job.JobId, job.Name));
        var savepoint = new CmfSavepoint(savepointName, state.Simulation.Ids.NewUuid(), at)
        {
            Spec = new JsonObject { ["path"] = directory, ["formatType"] = "CANONICAL", ["backoffLimit"] = -1 },
            CompletedPath = path,
            CompletedAt = at,
            Application = app,
        };
        app.Savepoints.Add(savepointName, savepoint);
        app.SavepointHistory.Add((path, at, "MANUAL"));
        return savepoint.Uid;
    });

    /// <summary>Adds a DEDICATED, RUNNING compute pool to <paramref name="environment"/>.</summary>
    /// <exception cref="ArgumentException">No such environment.</exception>
    public void AddComputePool(string environment, string name) => Sync(state =>
    {
        var env = state.Environment(environment) ?? throw new ArgumentException($"No environment '{environment}'.", nameof(environment));
        env.ComputePools[name] = new CmfComputePool(name, state.Simulation.Ids.NewUuid(), state.Now, new JsonObject
        {
            ["type"] = "DEDICATED",
            ["clusterSpec"] = new JsonObject
            {
                ["flinkVersion"] = "v1_19",
                ["image"] = "confluentinc/cp-flink-sql:1.19-cp1",
                ["flinkConfiguration"] = new JsonObject { ["pipeline.operator-chaining.enabled"] = "false", ["execution.checkpointing.interval"] = "10s" },
                ["taskManager"] = new JsonObject { ["resource"] = new JsonObject { ["cpu"] = 1.0, ["memory"] = "1024m" } },
                ["jobManager"] = new JsonObject { ["resource"] = new JsonObject { ["cpu"] = 1.0, ["memory"] = "1024m" } },
            },
        });
        return true;
    });

    /// <summary>
    /// Adds Kafka catalog <paramref name="catalog"/> (if missing) with database <paramref name="database"/> holding
    /// <paramref name="tables"/> (the topics statements may read and write).
    /// </summary>
    public void AddKafkaCatalog(string catalog, string database, IEnumerable<string> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        Sync(state =>
        {
            if (!state.Catalogs.TryGetValue(catalog, out var cat))
            {
                cat = new CmfCatalog(catalog, state.Simulation.Ids.NewUuid(), state.Now, new JsonObject
                {
                    ["srInstance"] = new JsonObject
                    {
                        ["connectionConfig"] = new JsonObject { ["schema.registry.url"] = "http://schemaregistry.confluent.svc.cluster.local:8081" },
                    },
                });
                state.Catalogs.Add(catalog, cat);
            }
            if (!cat.Databases.TryGetValue(database, out var db))
            {
                db = new CmfDatabase(database, state.Simulation.Ids.NewUuid(), state.Now, new JsonObject
                {
                    ["kafkaCluster"] = new JsonObject
                    {
                        ["connectionConfig"] = new JsonObject { ["bootstrap.servers"] = "kafka.confluent.svc.cluster.local:9092" },
                    },
                });
                cat.Databases.Add(database, db);
            }
            db.Tables.UnionWith(tables);
            return true;
        });
    }

    /// <summary>The job that backs the application now (the newest deployed); <c>null</c> if there is none.</summary>
    public SimJob? ApplicationJob(string environment, string application) =>
        Sync(state => state.Application(environment, application)?.Job?.Handle);

    /// <summary>The application's <c>status.lifecycleState</c> now (e.g. STABLE, UPGRADING, SUSPENDED); <c>null</c> if there is no such application.</summary>
    public string? LifecycleState(string environment, string application) =>
        Sync(state => state.Application(environment, application) is { } app ? CmfApplications.LifecycleState(app) : null);

    /// <summary>
    /// The application's next deployment (a start, or the new spec of an upgrade) fails with <paramref name="message"/>
    /// before a job is submitted: <c>status.lifecycleState</c> FAILED, <c>jobManagerDeploymentStatus</c> ERROR,
    /// <c>status.error</c> the message.
    /// </summary>
    /// <exception cref="ArgumentException">No such application.</exception>
    public void FailNextApplicationStart(string environment, string application, string message = "Deployment failed: the JobManager pod was OOMKilled.") =>
        Sync(state =>
        {
            var app = state.Application(environment, application) ?? throw new ArgumentException($"No application '{application}' in '{environment}'.", nameof(application));
            app.NextStartFailure = message;
            return true;
        });

    /// <summary>
    /// The next Savepoint created through CMF (<c>POST …/applications/{app}/savepoints</c>) fails: its backing Flink
    /// savepoint fails with <paramref name="message"/> and the resource ends FAILED with that <c>status.error</c>.
    /// </summary>
    public void FailNextSavepoint(string message = "Checkpoint expired before completing.") =>
        Sync(state => state.NextSavepointFailure = message);

    /// <summary>
    /// The job of statement <paramref name="statement"/> fails now with <paramref name="message"/>: phase FAILED,
    /// <c>status.detail</c> and the newest entry of <c>…/exceptions</c> carry the message.
    /// </summary>
    /// <exception cref="ArgumentException">No such statement.</exception>
    public void FailStatement(string environment, string statement, string message = "org.apache.kafka.common.errors.TopicAuthorizationException: Not authorized to access topics: [orders]") =>
        Sync(state =>
        {
            var stmt = state.Environment(environment)?.Statements.GetValueOrDefault(statement)
                ?? throw new ArgumentException($"No statement '{statement}' in '{environment}'.", nameof(statement));
            stmt.Failure = message;
            stmt.Exceptions.Insert(0, ("org.apache.flink.runtime.JobException", message, state.Now));
            return true;
        });

    /// <summary>
    /// CMF refuses every <c>DELETE …/applications/{app}/savepoints/{name}</c> of <paramref name="savepointName"/> with
    /// <paramref name="statusCode"/> and <paramref name="message"/> (e.g. the caller's role may not delete savepoints),
    /// until <see cref="ClearFaults"/>. The savepoint stays.
    /// </summary>
    public void RefuseSavepointDelete(string savepointName, int statusCode = 403,
        string message = "User is not authorized to perform DELETE on Savepoint in this environment.") =>
        Sync(state => state.RefusedSavepointDeletes[savepointName] = new CmfRefusal(statusCode, message));

    /// <summary>
    /// Disarms the CMF-level faults not yet used (<see cref="FailNextSavepoint"/>, <see cref="FailNextApplicationStart"/>,
    /// <see cref="RefuseSavepointDelete"/>).
    /// <see cref="SimFaults.ClearAll"/> clears the cluster's faults, not these.
    /// </summary>
    public void ClearFaults() => Sync(state =>
    {
        state.NextSavepointFailure = null;
        state.RefusedSavepointDeletes.Clear();
        foreach (var app in state.Environments.Values.SelectMany(env => env.Applications.Values)) app.NextStartFailure = null;
        return true;
    });

    private T Sync<T>(Func<CmfState, T> action) => _simulation.Sync(_ => action(State));

    private static JsonObject DemoSpec(CmfEnvironment environment, string name, string jarFileName, int parallelism, string upgradeMode) => new()
    {
        ["image"] = "confluentinc/cp-flink:1.20.1-cp1",
        ["flinkVersion"] = "v1_20",
        ["serviceAccount"] = "flink",
        ["flinkConfiguration"] = new JsonObject
        {
            ["taskmanager.numberOfTaskSlots"] = "2",
            ["state.savepoints.dir"] = $"s3://flink-demo/savepoints/{environment.Name}/{name}",
            ["state.checkpoints.dir"] = $"s3://flink-demo/checkpoints/{environment.Name}/{name}",
        },
        ["jobManager"] = new JsonObject { ["resource"] = new JsonObject { ["memory"] = "1024m", ["cpu"] = 1 } },
        ["taskManager"] = new JsonObject { ["resource"] = new JsonObject { ["memory"] = "2048m", ["cpu"] = 1 } },
        ["job"] = new JsonObject
        {
            ["jarURI"] = $"local:///opt/flink/usrlib/{jarFileName}",
            ["parallelism"] = parallelism,
            ["state"] = "running",
            ["upgradeMode"] = upgradeMode,
        },
    };
}
