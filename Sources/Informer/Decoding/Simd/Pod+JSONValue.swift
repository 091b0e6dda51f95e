import Foundation

// Hand-written decoding of the pod model from a simdjson document. Codable's generic machinery
// (metadata lookups, boxed containers) cost more than the parse itself; these initialisers read
// the same keys with the same rules (see `JSONValue`), and `SimdDecodingEngineTests` holds them
// equal to the `Decodable` conformances on real API server and simulator objects.

extension Pod {
    init(json v: JSONValue) throws(KubeDecodingError) {
        self.init(metadata: try v.object("metadata", ObjectMeta.init(json:)) ?? ObjectMeta(),
                  spec: try v.object("spec", PodSpec.init(json:)),
                  status: try v.object("status", PodStatus.init(json:)))
        kind = try v.string("kind")
        apiVersion = try v.string("apiVersion")
    }
}

extension ObjectMeta {
    init(json v: JSONValue) throws(KubeDecodingError) {
        self.init(name: try v.string("name"), namespace: try v.string("namespace"), uid: try v.string("uid"),
                  resourceVersion: try v.string("resourceVersion"))
        generation = try v.int64("generation")
        creationTimestamp = try v.date("creationTimestamp")
        deletionTimestamp = try v.date("deletionTimestamp")
        deletionGracePeriodSeconds = try v.int64("deletionGracePeriodSeconds")
        labels = try v.stringMap("labels")
        annotations = try v.stringMap("annotations")
        ownerReferences = try v.array("ownerReferences") { r throws(KubeDecodingError) in
            OwnerReference(apiVersion: try r.string("apiVersion"), kind: try r.string("kind"), name: try r.string("name"),
                           uid: try r.string("uid"), controller: try r.bool("controller"))
        }
        finalizers = try v.stringArray("finalizers")
    }
}

extension PodSpec {
    init(json v: JSONValue) throws(KubeDecodingError) {
        self.init(containers: try v.array("containers", Container.init(json:)),
                  initContainers: try v.array("initContainers", Container.init(json:)),
                  nodeName: try v.string("nodeName"))
        ephemeralContainers = try v.array("ephemeralContainers", Container.init(json:))
        restartPolicy = try v.string("restartPolicy")
        serviceAccountName = try v.string("serviceAccountName")
        priorityClassName = try v.string("priorityClassName")
        schedulingGates = try v.array("schedulingGates") { g throws(KubeDecodingError) in NamedEntry(name: try g.string("name")) }
        readinessGates = try v.array("readinessGates") { g throws(KubeDecodingError) in
            ReadinessGate(conditionType: try g.string("conditionType"))
        }
    }
}

extension Container {
    init(json v: JSONValue) throws(KubeDecodingError) {
        self.init(name: try v.requiredString("name"), image: try v.string("image"), restartPolicy: try v.string("restartPolicy"))
        command = try v.stringArray("command")
        args = try v.stringArray("args")
        env = try v.array("env", EnvVar.init(json:))
        envFrom = try v.array("envFrom") { e throws(KubeDecodingError) in
            EnvFromSource(prefix: try e.string("prefix"),
                          configMapRef: try e.object("configMapRef", OptionalNameReference.init(json:)),
                          secretRef: try e.object("secretRef", OptionalNameReference.init(json:)))
        }
        resources = try v.object("resources") { r throws(KubeDecodingError) in
            ResourceRequirements(limits: try r.stringMap("limits"), requests: try r.stringMap("requests"))
        }
        targetContainerName = try v.string("targetContainerName")
    }
}

extension EnvVar {
    init(json v: JSONValue) throws(KubeDecodingError) {
        self.init(name: try v.requiredString("name"), value: try v.string("value"),
                  valueFrom: try v.object("valueFrom", EnvVarSource.init(json:)))
    }
}

extension EnvVarSource {
    init(json v: JSONValue) throws(KubeDecodingError) {
        self.init(
            secretKeyRef: try v.object("secretKeyRef", KeyReference.init(json:)),
            configMapKeyRef: try v.object("configMapKeyRef", KeyReference.init(json:)),
            fieldRef: try v.object("fieldRef") { f throws(KubeDecodingError) in
                FieldReference(apiVersion: try f.string("apiVersion"), fieldPath: try f.string("fieldPath"))
            },
            resourceFieldRef: try v.object("resourceFieldRef") { r throws(KubeDecodingError) in
                ResourceFieldReference(containerName: try r.string("containerName"), resource: try r.string("resource"),
                                       divisor: try r.string("divisor"))
            },
            fileKeyRef: try v.object("fileKeyRef") { f throws(KubeDecodingError) in
                FileKeyReference(volumeName: try f.string("volumeName"), path: try f.string("path"),
                                 key: try f.string("key"), optional: try f.bool("optional"))
            })
    }
}

extension KeyReference {
    init(json v: JSONValue) throws(KubeDecodingError) {
        self.init(name: try v.string("name"), key: try v.string("key"), optional: try v.bool("optional"))
    }
}

extension OptionalNameReference {
    init(json v: JSONValue) throws(KubeDecodingError) {
        self.init(name: try v.string("name"), optional: try v.bool("optional"))
    }
}

extension PodStatus {
    init(json v: JSONValue) throws(KubeDecodingError) {
        self.init(phase: try v.string("phase"), reason: try v.string("reason"),
                  conditions: try v.array("conditions", PodCondition.init(json:)),
                  containerStatuses: try v.array("containerStatuses", ContainerStatus.init(json:)),
                  initContainerStatuses: try v.array("initContainerStatuses", ContainerStatus.init(json:)))
        message = try v.string("message")
        hostIP = try v.string("hostIP")
        hostIPs = try v.array("hostIPs") { e throws(KubeDecodingError) in IPEntry(ip: try e.string("ip")) }
        podIP = try v.string("podIP")
        podIPs = try v.array("podIPs") { e throws(KubeDecodingError) in IPEntry(ip: try e.string("ip")) }
        nominatedNodeName = try v.string("nominatedNodeName")
        startTime = try v.date("startTime")
        qosClass = try v.string("qosClass")
        ephemeralContainerStatuses = try v.array("ephemeralContainerStatuses", ContainerStatus.init(json:))
    }
}

extension PodCondition {
    init(json v: JSONValue) throws(KubeDecodingError) {
        self.init(type: try v.requiredString("type"), status: try v.string("status"), reason: try v.string("reason"))
        message = try v.string("message")
        lastTransitionTime = try v.date("lastTransitionTime")
        lastProbeTime = try v.date("lastProbeTime")
    }
}

extension ContainerStatus {
    init(json v: JSONValue) throws(KubeDecodingError) {
        self.init(name: try v.requiredString("name"), ready: try v.bool("ready"), started: try v.bool("started"),
                  restartCount: try v.int("restartCount"),
                  state: try v.object("state", ContainerState.init(json:)),
                  lastState: try v.object("lastState", ContainerState.init(json:)))
        image = try v.string("image")
        imageID = try v.string("imageID")
        containerID = try v.string("containerID")
    }
}

extension ContainerState {
    init(json v: JSONValue) throws(KubeDecodingError) {
        self.init(
            waiting: try v.object("waiting") { w throws(KubeDecodingError) in
                ContainerStateWaiting(reason: try w.string("reason"), message: try w.string("message"))
            },
            running: try v.object("running") { r throws(KubeDecodingError) in ContainerStateRunning(startedAt: try r.date("startedAt")) },
            terminated: try v.object("terminated") { t throws(KubeDecodingError) in
                var terminated = ContainerStateTerminated(exitCode: try t.int("exitCode") ?? 0, signal: try t.int("signal"),
                                                          reason: try t.string("reason"), finishedAt: try t.date("finishedAt"))
                terminated.message = try t.string("message")
                terminated.startedAt = try t.date("startedAt")
                terminated.containerID = try t.string("containerID")
                return terminated
            })
    }
}
