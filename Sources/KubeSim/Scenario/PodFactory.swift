import Foundation

/// Builds realistic pods: deployments, statefulsets and jobs with 1–3 containers, init and
/// sidecar containers, env from every source, resources, owner references, managed fields, and
/// statuses covering the states users debug (KUBERNETES-API.md §4).
struct PodFactory: Sendable {
    enum Health: CaseIterable, Sendable {
        case running, runningNotReady, crashLoopOOM, crashLoopError, imagePullBackOff, containerCreating,
             unschedulable, completed, failed, evicted, terminating, initWaiting, initCrashLoop
    }

    enum Workload: Sendable {
        case deployment(name: String, hash: String)
        case statefulSet(name: String, ordinal: Int)
        case job(name: String)
    }

    static let apps = ["api", "web", "checkout", "payments", "search", "queue-worker", "auth", "gateway",
                       "inventory", "cart", "notifications", "billing", "ledger", "recommender", "frontend",
                       "orders", "shipping", "catalog", "profile", "session"]
    static let statefulApps = ["worker", "redis", "postgres", "kafka", "zookeeper", "elasticsearch"]
    static let jobs = ["nightly-report", "db-migrate", "backup", "reindex"]
    static let nodes = (1...40).map { "node-\(String(format: "%02d", $0))" }

    /// The health of a new pod: mostly running, with a realistic share of trouble.
    static func randomHealth(using rng: inout SeededRandom, workload: Workload) -> Health {
        if case .job = workload { return rng.chance(0.8) ? .completed : .failed }
        let r = Double.random(in: 0..<1, using: &rng)
        switch r {
        case ..<0.78: return .running
        case ..<0.81: return .runningNotReady
        case ..<0.85: return .crashLoopOOM
        case ..<0.87: return .crashLoopError
        case ..<0.89: return .imagePullBackOff
        case ..<0.91: return .containerCreating
        case ..<0.92: return .unschedulable
        case ..<0.94: return .evicted
        case ..<0.96: return .terminating
        case ..<0.98: return .initWaiting
        default: return .initCrashLoop
        }
    }

    func makePod(namespace: String, workload: Workload, health: Health, created: Date, now: Date,
                 rng: inout SeededRandom) -> Pod {
        let (name, app, owner) = identity(workload, rng: &rng)
        let uid = rng.uuid()
        let version = "\(Int.random(in: 1...4, using: &rng)).\(Int.random(in: 0...20, using: &rng)).\(Int.random(in: 0...9, using: &rng))"
        let image = "registry.example.com/\(namespace)/\(app):\(version)"
        let sidecarCount = rng.chance(0.3) ? 1 : 0
        let appContainers = Int.random(in: 1...2, using: &rng) + (rng.chance(0.15) ? 1 : 0)
        var containers = [mainContainer(app: app, image: image, rng: &rng)]
        let extras = ["metrics-exporter", "log-shipper", "envoy"]
        for i in 1..<appContainers {
            containers.append(helperContainer(name: extras[i - 1], rng: &rng))
        }
        var initContainers: [Container] = []
        if rng.chance(0.4) || health == .initWaiting || health == .initCrashLoop {
            initContainers.append(Container(
                name: "init-config", image: "registry.example.com/tools/config-init:1.3.0",
                command: ["/bin/sh", "-c", "cp /config-src/* /config/"],
                resources: ResourceRequirements(limits: ["memory": "64Mi"], requests: ["cpu": "10m", "memory": "32Mi"]),
                volumeMounts: [VolumeMount(name: "config", mountPath: "/config")]))
            initContainers.append(Container(
                name: "wait-for-db", image: "registry.example.com/tools/wait-for:2.1.0",
                args: ["--host=postgres.\(namespace).svc", "--timeout=120s"],
                resources: ResourceRequirements(requests: ["cpu": "5m", "memory": "16Mi"])))
        }
        if sidecarCount > 0 {
            var sidecar = helperContainer(name: "istio-proxy", rng: &rng)
            sidecar.image = "registry.example.com/mesh/proxyv2:1.22.3"
            sidecar.restartPolicy = "Always"
            initContainers.append(sidecar)
        }
        let node = Self.nodes[Int.random(in: 0..<Self.nodes.count, using: &rng)]
        let scheduled = health != .unschedulable
        var labels = ["app.kubernetes.io/name": app, "app.kubernetes.io/version": version,
                      "app.kubernetes.io/part-of": namespace, "tier": rng.chance(0.5) ? "backend" : "frontend"]
        if case .deployment(_, let hash) = workload { labels["pod-template-hash"] = hash }
        if case .statefulSet(let set, let ordinal) = workload {
            labels["statefulset.kubernetes.io/pod-name"] = "\(set)-\(ordinal)"
            labels["apps.kubernetes.io/pod-index"] = String(ordinal)
        }
        var annotations = ["kubectl.kubernetes.io/default-container": containers[0].name,
                           "prometheus.io/scrape": "true", "prometheus.io/port": "9102"]
        if rng.chance(0.5) {
            annotations["kubectl.kubernetes.io/last-applied-configuration"] =
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"\(name)\",\"namespace\":\"\(namespace)\"}}\n"
        }
        let createdText = WireTime.seconds(created)
        let metadata = ObjectMeta(
            name: name, generateName: generateName(workload), namespace: namespace, uid: uid, resourceVersion: "0",
            generation: 1, creationTimestamp: createdText,
            deletionTimestamp: health == .terminating ? WireTime.seconds(now.addingTimeInterval(-Double(Int.random(in: 5...40, using: &rng)))) : nil,
            deletionGracePeriodSeconds: health == .terminating ? 30 : nil,
            labels: labels, annotations: annotations,
            ownerReferences: [OwnerReference(apiVersion: owner.apiVersion, kind: owner.kind, name: owner.name,
                                             uid: owner.uid, controller: true, blockOwnerDeletion: true)],
            managedFields: managedFields(containers: containers, initContainers: initContainers, at: createdText))
        let spec = PodSpec(
            volumes: [
                Volume(name: "config", configMap: .init(name: "\(app)-config", defaultMode: 420)),
                Volume(name: "kube-api-access-\(rng.suffix(5))", projected: .init(defaultMode: 420, sources: [
                    .init(serviceAccountToken: .init(expirationSeconds: 3607, path: "token")),
                ])),
            ],
            initContainers: initContainers.isEmpty ? nil : initContainers,
            containers: containers,
            restartPolicy: { if case .job = workload { return "Never" } else { return "Always" } }(),
            terminationGracePeriodSeconds: 30, dnsPolicy: "ClusterFirst",
            serviceAccountName: app, serviceAccount: app, nodeName: scheduled ? node : nil,
            securityContext: EmptyObject(), schedulerName: "default-scheduler",
            tolerations: [
                Toleration(key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300),
                Toleration(key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300),
            ],
            priority: 0, enableServiceLinks: true, preemptionPolicy: "PreemptLowerPriority")
        var pod = Pod(metadata: metadata, spec: spec, status: PodStatus(phase: "Pending"))
        PodStatusWriter(now: now).write(health: health, into: &pod, node: node, rng: &rng)
        return pod
    }

    private func identity(_ workload: Workload, rng: inout SeededRandom) -> (String, String, (apiVersion: String, kind: String, name: String, uid: String)) {
        // The owner uid must be stable across pods of one workload: seed it from the name.
        var ownerRNG = SeededRandom(seed: stableHash("\(workload)"))
        switch workload {
        case .deployment(let name, let hash):
            return ("\(name)-\(hash)-\(rng.suffix(5))", name, ("apps/v1", "ReplicaSet", "\(name)-\(hash)", ownerRNG.uuid()))
        case .statefulSet(let name, let ordinal):
            return ("\(name)-\(ordinal)", name, ("apps/v1", "StatefulSet", name, ownerRNG.uuid()))
        case .job(let name):
            return ("\(name)-\(rng.suffix(5))", String(name.split(separator: "-").dropLast().joined(separator: "-")),
                    ("batch/v1", "Job", name, ownerRNG.uuid()))
        }
    }

    private func generateName(_ workload: Workload) -> String? {
        switch workload {
        case .deployment(let name, let hash): return "\(name)-\(hash)-"
        case .statefulSet: return nil
        case .job(let name): return "\(name)-"
        }
    }

    private func mainContainer(app: String, image: String, rng: inout SeededRandom) -> Container {
        let memory = [128, 256, 512, 1024][Int.random(in: 0..<4, using: &rng)]
        let cpu = [50, 100, 250, 500][Int.random(in: 0..<4, using: &rng)]
        return Container(
            name: app, image: image, command: ["/app/\(app)"], args: ["--port=8080", "--log-format=json"],
            ports: [ContainerPort(name: "http", containerPort: 8080, protocol: "TCP"),
                    ContainerPort(name: "metrics", containerPort: 9102, protocol: "TCP")],
            envFrom: [EnvFromSource(configMapRef: .init(name: "\(app)-env")),
                      EnvFromSource(prefix: "DB_", secretRef: .init(name: "\(app)-db", optional: true))],
            env: [
                EnvVar(name: "LOG_LEVEL", value: rng.chance(0.8) ? "info" : "debug"),
                EnvVar(name: "HTTP_ADDR", value: ":8080"),
                EnvVar(name: "UPSTREAM_URL", value: "http://$(SERVICE_HOST):8080/v1"),
                EnvVar(name: "DATABASE_PASSWORD", valueFrom: .init(secretKeyRef: .init(name: "\(app)-db", key: "password"))),
                EnvVar(name: "FEATURE_FLAGS", valueFrom: .init(configMapKeyRef: .init(name: "\(app)-config", key: "flags", optional: true))),
                EnvVar(name: "POD_NAME", valueFrom: .init(fieldRef: .init(apiVersion: "v1", fieldPath: "metadata.name"))),
                EnvVar(name: "POD_IP", valueFrom: .init(fieldRef: .init(apiVersion: "v1", fieldPath: "status.podIP"))),
                EnvVar(name: "NODE_NAME", valueFrom: .init(fieldRef: .init(apiVersion: "v1", fieldPath: "spec.nodeName"))),
                EnvVar(name: "GOMEMLIMIT", valueFrom: .init(resourceFieldRef: .init(containerName: app, resource: "limits.memory", divisor: "1"))),
                EnvVar(name: "GOMAXPROCS", valueFrom: .init(resourceFieldRef: .init(resource: "limits.cpu", divisor: "1"))),
            ],
            resources: ResourceRequirements(limits: ["cpu": "\(cpu * 4)m", "memory": "\(memory)Mi"],
                                            requests: ["cpu": "\(cpu)m", "memory": "\(memory / 2)Mi"]),
            volumeMounts: [VolumeMount(name: "config", readOnly: true, mountPath: "/etc/\(app)")],
            readinessProbe: Probe(httpGet: .init(path: "/healthz", port: .string("http"), scheme: "HTTP"), timeoutSeconds: 1,
                                  periodSeconds: 10, successThreshold: 1, failureThreshold: 3))
    }

    private func helperContainer(name: String, rng: inout SeededRandom) -> Container {
        Container(
            name: name, image: "registry.example.com/tools/\(name):0.\(Int.random(in: 1...30, using: &rng)).0",
            ports: [ContainerPort(name: "metrics", containerPort: 9100, protocol: "TCP")],
            env: [EnvVar(name: "LISTEN", value: ":9100")],
            resources: ResourceRequirements(limits: ["memory": "64Mi"], requests: ["cpu": "10m", "memory": "32Mi"]))
    }

    private func managedFields(containers: [Container], initContainers: [Container], at time: String) -> [ManagedFieldsEntry] {
        var specPaths = ["metadata.generateName", "metadata.labels", "metadata.ownerReferences", "spec.dnsPolicy",
                         "spec.enableServiceLinks", "spec.restartPolicy", "spec.schedulerName",
                         "spec.securityContext", "spec.terminationGracePeriodSeconds", "spec.volumes"]
        for c in containers + initContainers {
            let k = "k:{\"name\":\"\(c.name)\"}"
            for field in ["image", "imagePullPolicy", "name", "resources.limits", "resources.requests",
                          "terminationMessagePath", "terminationMessagePolicy", "env", "ports"] {
                specPaths.append("spec.containers.\(k).\(field)")
            }
        }
        let statusPaths = ["status.conditions", "status.containerStatuses", "status.hostIP", "status.hostIPs",
                           "status.phase", "status.podIP", "status.podIPs", "status.startTime"]
        return [
            ManagedFieldsEntry(manager: "kube-controller-manager", operation: "Update", apiVersion: "v1", time: time,
                               fieldsType: "FieldsV1", fieldsV1: .fields(specPaths)),
            ManagedFieldsEntry(manager: "kubelet", operation: "Update", apiVersion: "v1", time: time,
                               fieldsType: "FieldsV1", fieldsV1: .fields(statusPaths), subresource: "status"),
        ]
    }
}

/// FNV-1a: `hashValue` is seeded per process, and scenarios must be reproducible.
func stableHash(_ text: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return h
}
