"""People (Person, ArticlePerson) and outlet collections, with the shipped
people gazetteer and collections (archive/data/people.json, collections.json)."""

import django.db.models.deletion
from django.db import migrations, models


def load(apps, schema_editor):
    from archive.importing.people_data import load_collections, load_people

    load_people(apps)
    load_collections(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0005_pages'),
    ]

    operations = [
        migrations.CreateModel(
            name='ArticlePerson',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('mentions', models.PositiveIntegerField(default=1, verbose_name='عدد الإشارات')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='person_mentions', to='archive.article', verbose_name='المقال')),
            ],
            options={
                'verbose_name': 'إشارة إلى شخص',
                'verbose_name_plural': 'الإشارات إلى الأشخاص',
                'ordering': ['-mentions'],
            },
        ),
        migrations.CreateModel(
            name='Collection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=80, unique=True, verbose_name='المعرّف')),
                ('name_ar', models.CharField(max_length=120, verbose_name='الاسم')),
                ('description', models.TextField(blank=True, verbose_name='الوصف')),
                ('sources', models.ManyToManyField(blank=True, related_name='collections', to='archive.source', verbose_name='المصادر')),
            ],
            options={
                'verbose_name': 'مجموعة مصادر',
                'verbose_name_plural': 'مجموعات المصادر',
                'ordering': ['name_ar'],
            },
        ),
        migrations.CreateModel(
            name='Person',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=80, unique=True, verbose_name='المعرّف')),
                ('name_ar', models.CharField(max_length=120, verbose_name='الاسم بالعربية')),
                ('name_en', models.CharField(max_length=120, verbose_name='الاسم بالحروف اللاتينية')),
                ('latin_names', models.TextField(blank=True, help_text='صيغة في كل سطر (Erdogan، Zelenskyy…).', verbose_name='صيغ لاتينية أخرى')),
                ('role', models.CharField(blank=True, max_length=200, verbose_name='الصفة')),
                ('spellings', models.TextField(blank=True, help_text='صيغة في كل سطر: الاسم الكامل بتهجئاته، واسم العائلة وحده إن كان لا يدل إلا على هذا الشخص.', verbose_name='التهجئات العربية')),
                ('weak_spellings', models.TextField(blank=True, help_text='صيغ قصيرة قد تدل على غيره (الأسد، عباس): لا تُحتسب إلا إذا ذُكر الشخص في المقال بتهجئة كاملة.', verbose_name='تهجئات ملتبسة')),
                ('origin', models.CharField(blank=True, help_text='لماذا أُدرج: من أشخاص المهمة، أو من أكثر الأسماء ورودًا في المدونة.', max_length=200, verbose_name='مصدر الإدخال')),
                ('articles', models.ManyToManyField(blank=True, related_name='people', through='archive.ArticlePerson', to='archive.article', verbose_name='المقالات')),
            ],
            options={
                'verbose_name': 'شخص',
                'verbose_name_plural': 'الأشخاص',
                'ordering': ['name_ar'],
            },
        ),
        migrations.AddField(
            model_name='articleperson',
            name='person',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='article_mentions', to='archive.person', verbose_name='الشخص'),
        ),
        migrations.AlterUniqueTogether(
            name='articleperson',
            unique_together={('article', 'person')},
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
