package io.pixelstream.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimVolumeSource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricTarget;
import io.fabric8.kubernetes.api.model.autoscaling.v2.ResourceMetricSource;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitorSpec;
import java.util.List;
import java.util.Map;

/**
 * The fields the Kubernetes API requires of the core types pixelstream's manifests use (the {@code
 * required} lists of its OpenAPI schema, and the Prometheus Operator's for PodMonitor), which
 * fabric8's models do not carry. A type not listed requires nothing here.
 */
final class CoreRequiredFields {

  private static final Map<Class<?>, List<String>> REQUIRED =
      Map.ofEntries(
          Map.entry(PodSpec.class, List.of("containers")),
          Map.entry(Container.class, List.of("name")),
          Map.entry(ContainerPort.class, List.of("containerPort")),
          Map.entry(EnvVar.class, List.of("name")),
          Map.entry(SecretKeySelector.class, List.of("key")),
          Map.entry(ConfigMapKeySelector.class, List.of("key")),
          Map.entry(KeyToPath.class, List.of("key", "path")),
          Map.entry(Volume.class, List.of("name")),
          Map.entry(VolumeMount.class, List.of("name", "mountPath")),
          Map.entry(PersistentVolumeClaimVolumeSource.class, List.of("claimName")),
          Map.entry(HTTPGetAction.class, List.of("port")),
          Map.entry(TCPSocketAction.class, List.of("port")),
          Map.entry(LabelSelectorRequirement.class, List.of("key", "operator")),
          Map.entry(ServicePort.class, List.of("port")),
          Map.entry(DeploymentSpec.class, List.of("selector", "template")),
          Map.entry(CronJobSpec.class, List.of("schedule", "jobTemplate")),
          Map.entry(JobSpec.class, List.of("template")),
          Map.entry(HorizontalPodAutoscalerSpec.class, List.of("scaleTargetRef", "maxReplicas")),
          Map.entry(CrossVersionObjectReference.class, List.of("kind", "name")),
          Map.entry(MetricSpec.class, List.of("type")),
          Map.entry(ResourceMetricSource.class, List.of("name", "target")),
          Map.entry(MetricTarget.class, List.of("type")),
          Map.entry(PodMonitorSpec.class, List.of("selector")));

  private CoreRequiredFields() {}

  static boolean isRequired(Class<?> type, String field) {
    return REQUIRED.getOrDefault(type, List.of()).contains(field);
  }
}
