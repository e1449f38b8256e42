
import django.db.models.deletion
import uuid
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('challenges', '0002_initial'),
        ('organisations', '0001_initial'),
        ('proposals', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='EvaluatorAssignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('status', models.CharField(choices=[('assigned', 'Waiting for the declaration'), ('declared', 'Declared no conflict of interest'), ('excluded', 'Excluded: conflict of interest')], default='assigned', max_length=20)),
                ('assigned_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('authority', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation')),
                ('phase', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evaluator_assignments', to='challenges.phase')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='evaluator_assignments', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['phase', 'created_at'],
            },
        ),
        migrations.CreateModel(
            name='ConflictDeclaration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('declared_at', models.DateTimeField()),
                ('has_conflict', models.BooleanField(verbose_name='I have a conflict of interest')),
                ('declaration_text', models.TextField()),
                ('statement', models.TextField(blank=True, verbose_name='statement')),
                ('assignment', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='declaration', to='evaluation.evaluatorassignment')),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='Outcome',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('kind', models.CharField(choices=[('awarded', 'Awarded'), ('not_awarded', 'Not awarded'), ('cancelled', 'Cancelled')], max_length=20, verbose_name='decision')),
                ('value', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='contract value')),
                ('currency', models.CharField(default='EUR', max_length=3, verbose_name='currency')),
                ('reasons', models.TextField(verbose_name='reasons')),
                ('published_at', models.DateTimeField()),
                ('standstill_ends_at', models.DateTimeField(blank=True, null=True)),
                ('becomes_final_at', models.DateTimeField()),
                ('awarded_proposals', models.ManyToManyField(blank=True, related_name='awards', to='proposals.proposal')),
                ('challenge', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='outcome', to='challenges.challenge')),
                ('published_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='PhaseResult',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('selected', models.BooleanField(verbose_name='selected')),
                ('reason', models.TextField(verbose_name='reason')),
                ('weighted_total', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True)),
                ('rank', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('published_at', models.DateTimeField()),
                ('invited_to', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='invitations', to='challenges.phase')),
                ('phase', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='results', to='challenges.phase')),
                ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='phase_results', to='proposals.proposal')),
                ('published_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['phase', 'rank', 'created_at'],
            },
        ),
        migrations.CreateModel(
            name='PilotPlan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('plan', models.TextField(verbose_name='pilot plan')),
                ('agreed_by_buyer_at', models.DateTimeField(blank=True, null=True)),
                ('agreed_by_company_at', models.DateTimeField(blank=True, null=True)),
                ('version', models.PositiveIntegerField(default=1)),
                ('agreed_by_buyer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('agreed_by_company', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('phase', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='challenges.phase')),
                ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='pilot_plans', to='proposals.proposal')),
            ],
        ),
        migrations.CreateModel(
            name='PilotKpi',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('name', models.CharField(max_length=200, verbose_name='indicator')),
                ('unit', models.CharField(max_length=50, verbose_name='unit')),
                ('baseline', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='baseline')),
                ('target', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='target')),
                ('higher_is_better', models.BooleanField(default=True, verbose_name='higher is better')),
                ('measured_value', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='measured value')),
                ('measured_at', models.DateTimeField(blank=True, null=True)),
                ('evidence', models.TextField(blank=True, verbose_name='evidence')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='kpis', to='evaluation.pilotplan')),
            ],
            options={
                'ordering': ['plan', 'created_at'],
            },
        ),
        migrations.CreateModel(
            name='PilotDecision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('go', models.BooleanField(verbose_name='go')),
                ('reasons', models.TextField(verbose_name='reasons')),
                ('decided_at', models.DateTimeField()),
                ('decided_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('plan', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='decision', to='evaluation.pilotplan')),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='Score',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('score', models.PositiveSmallIntegerField(verbose_name='score')),
                ('justification', models.TextField(verbose_name='justification')),
                ('version', models.PositiveIntegerField(default=1)),
                ('assignment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='scores', to='evaluation.evaluatorassignment')),
                ('criterion', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='challenges.awardcriterion')),
                ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='proposals.proposal')),
            ],
        ),
        migrations.CreateModel(
            name='ConsensusScore',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('score', models.DecimalField(decimal_places=1, max_digits=3, verbose_name='consensus score')),
                ('reason', models.TextField(verbose_name='reason')),
                ('version', models.PositiveIntegerField(default=1)),
                ('criterion', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='challenges.awardcriterion')),
                ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='consensus_scores', to='proposals.proposal')),
                ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('proposal', 'criterion'), name='one_consensus'), models.CheckConstraint(condition=models.Q(('score__gte', Decimal('0')), ('score__lte', Decimal('10'))), name='consensus_0_10')],
            },
        ),
        migrations.AddConstraint(
            model_name='evaluatorassignment',
            constraint=models.UniqueConstraint(fields=('phase', 'user'), name='one_assignment_per_evaluator'),
        ),
        migrations.AddConstraint(
            model_name='phaseresult',
            constraint=models.UniqueConstraint(fields=('phase', 'proposal'), name='one_result_per_phase'),
        ),
        migrations.AddConstraint(
            model_name='pilotplan',
            constraint=models.UniqueConstraint(fields=('phase', 'proposal'), name='one_pilot_per_proposal'),
        ),
        migrations.AddConstraint(
            model_name='score',
            constraint=models.UniqueConstraint(fields=('assignment', 'proposal', 'criterion'), name='one_score_per_criterion'),
        ),
        migrations.AddConstraint(
            model_name='score',
            constraint=models.CheckConstraint(condition=models.Q(('score__gte', 0), ('score__lte', 10)), name='score_0_10'),
        ),
    ]
